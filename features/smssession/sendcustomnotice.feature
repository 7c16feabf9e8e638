@smssession @sendcustomnotice @doc:SMSSendCustomNotice
Feature: SMS session: SendCustomNotice
  The agent sends a custom notice to all participants: a CustomNotice entry from the agent, visible to
  All, carrying the noticeText sent.
  Documentation: https://docs.genesys.com/Documentation/HTCC/latest/API/SMSSendCustomNotice

  @precondition:accept
  Scenario: agent performs SendCustomNotice on an SMS session -> documented notification
    Given an SMS session from customer "PersonP" saying "Hello World" is offered to the agent
    And the agent has accepted the SMS session as "Marat"
    When the agent performs "SendCustomNotice" on the SMS session with:
      | noticeText | This is a custom notice |
    Then the operation succeeds with statusCode 0
    And the notifications documented for "SendCustomNotice" arrive

  @inferred @missing-parameter @precondition:accept @doc:ReturnValues
  Scenario: agent performs SendCustomNotice without noticeText on an SMS session -> statusCode 1
    Given an SMS session from customer "PersonP" saying "Hello World" is offered to the agent
    And the agent has accepted the SMS session as "Marat"
    When the agent performs "SendCustomNotice" on the SMS session without noticeText
    Then the operation fails with statusCode 1 and a statusMessage

  @inferred @wrong-state @doc:ReturnValues
  Scenario: agent performs SendCustomNotice on an SMS session still offered -> statusCode 2
    Given an SMS session from customer "PersonP" saying "Hello World" is offered to the agent
    Then "SendCustomNotice" in state "Invited" fails with statusCode 2

  @inferred @unknown-interaction @doc:ReturnValues
  Scenario: agent performs SendCustomNotice on an unknown SMS session -> statusCode 6
    Given an SMS session from customer "PersonP" saying "Hello World" is offered to the agent
    When the agent performs "SendCustomNotice" on an unknown SMS session
    Then the operation fails with statusCode 6 and a statusMessage
