@smssession @sendstarttypingnotification @doc:SMSSendStartType
Feature: SMS session: SendStartTypingNotification
  The agent tells the other participants that it has started typing: a MessageLogUpdated with a
  TypingStarted entry from the agent, visible to All.
  Documentation: https://docs.genesys.com/Documentation:HTCC:API:SMSSendStartType:8.5.2

  @precondition:accept
  Scenario: agent performs SendStartTypingNotification on an SMS session -> documented notification
    Given an SMS session from customer "PersonP" saying "Hello World" is offered to the agent
    And the agent has accepted the SMS session as "Marat"
    When the agent performs "SendStartTypingNotification" on the SMS session
    Then the operation succeeds with statusCode 0
    And the notifications documented for "SendStartTypingNotification" arrive

  @inferred @wrong-state @doc:ReturnValues
  Scenario: agent performs SendStartTypingNotification on an SMS session still offered -> statusCode 2
    Given an SMS session from customer "PersonP" saying "Hello World" is offered to the agent
    Then "SendStartTypingNotification" in state "Invited" fails with statusCode 2

  @inferred @unknown-interaction @doc:ReturnValues
  Scenario: agent performs SendStartTypingNotification on an unknown SMS session -> statusCode 6
    Given an SMS session from customer "PersonP" saying "Hello World" is offered to the agent
    When the agent performs "SendStartTypingNotification" on an unknown SMS session
    Then the operation fails with statusCode 6 and a statusMessage
