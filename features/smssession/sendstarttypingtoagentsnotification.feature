@smssession @sendstarttypingtoagentsnotification @doc:SMSSendStartTypingToAgentsNotification
Feature: SMS session: SendStartTypingToAgentsNotification
  The agent tells the other agents (not the customer) that it has started typing: a TypingStarted
  entry from the agent, visible to Agents.
  Documentation: https://docs.genesys.com/Documentation/HTCC/latest/API/SMSSendStartTypingToAgentsNotification

  @precondition:accept
  Scenario: agent performs SendStartTypingToAgentsNotification on an SMS session -> documented notification
    Given an SMS session from customer "PersonP" saying "Hello World" is offered to the agent
    And the agent has accepted the SMS session as "Marat"
    When the agent performs "SendStartTypingToAgentsNotification" on the SMS session
    Then the operation succeeds with statusCode 0
    And the notifications documented for "SendStartTypingToAgentsNotification" arrive

  @inferred @wrong-state @doc:ReturnValues
  Scenario: agent performs SendStartTypingToAgentsNotification on an SMS session still offered -> statusCode 2
    Given an SMS session from customer "PersonP" saying "Hello World" is offered to the agent
    Then "SendStartTypingToAgentsNotification" in state "Invited" fails with statusCode 2

  @inferred @unknown-interaction @doc:ReturnValues
  Scenario: agent performs SendStartTypingToAgentsNotification on an unknown SMS session -> statusCode 6
    Given an SMS session from customer "PersonP" saying "Hello World" is offered to the agent
    When the agent performs "SendStartTypingToAgentsNotification" on an unknown SMS session
    Then the operation fails with statusCode 6 and a statusMessage
