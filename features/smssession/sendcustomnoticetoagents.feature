@smssession @sendcustomnoticetoagents @doc:SMSSendCustomNoticeToAgents
Feature: SMS session: SendCustomNoticeToAgents
  The agent sends a custom notice to the other agents only: a CustomNotice entry from the agent,
  visible to Agents, carrying the noticeText sent.
  Documentation: https://docs.genesys.com/Documentation/HTCC/latest/API/SMSSendCustomNoticeToAgents

  @precondition:accept
  Scenario: agent performs SendCustomNoticeToAgents on an SMS session -> documented notification
    Given an SMS session from customer "PersonP" saying "Hello World" is offered to the agent
    And the agent has accepted the SMS session as "Marat"
    When the agent performs "SendCustomNoticeToAgents" on the SMS session with:
      | noticeText | This is a custom notice to Agents |
    Then the operation succeeds with statusCode 0
    And the notifications documented for "SendCustomNoticeToAgents" arrive

  @inferred @missing-parameter @precondition:accept @doc:ReturnValues
  Scenario: agent performs SendCustomNoticeToAgents without noticeText on an SMS session -> statusCode 1
    Given an SMS session from customer "PersonP" saying "Hello World" is offered to the agent
    And the agent has accepted the SMS session as "Marat"
    When the agent performs "SendCustomNoticeToAgents" on the SMS session without noticeText
    Then the operation fails with statusCode 1 and a statusMessage

  @inferred @wrong-state @doc:ReturnValues
  Scenario: agent performs SendCustomNoticeToAgents on an SMS session still offered -> statusCode 2
    Given an SMS session from customer "PersonP" saying "Hello World" is offered to the agent
    Then "SendCustomNoticeToAgents" in state "Invited" fails with statusCode 2

  @inferred @unknown-interaction @doc:ReturnValues
  Scenario: agent performs SendCustomNoticeToAgents on an unknown SMS session -> statusCode 6
    Given an SMS session from customer "PersonP" saying "Hello World" is offered to the agent
    When the agent performs "SendCustomNoticeToAgents" on an unknown SMS session
    Then the operation fails with statusCode 6 and a statusMessage
