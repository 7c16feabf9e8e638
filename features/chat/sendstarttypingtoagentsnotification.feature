@chat @sendstarttypingtoagentsnotification @doc:ChatSendStartTypingToAgentsNotification
Feature: Chat: SendStartTypingToAgentsNotification
  The agent tells the other agents (not the customer) that it has started typing: a TypingStarted
  entry from the agent, visible to Agents.
  Documentation: https://docs.genesys.com/Documentation/HTCC/latest/API/ChatSendStartTypingToAgentsNotification

  @precondition:accept
  Scenario: agent performs SendStartTypingToAgentsNotification on a chat -> documented notification
    Given a chat from customer "PersonP" saying "Hello World" is offered to the agent
    And the agent has accepted the chat as "Marat"
    When the agent performs "SendStartTypingToAgentsNotification" on the chat
    Then the operation succeeds with statusCode 0
    And the notifications documented for "SendStartTypingToAgentsNotification" arrive

  @inferred @wrong-state @doc:ReturnValues
  Scenario: agent performs SendStartTypingToAgentsNotification on a chat still offered -> statusCode 2
    Given a chat from customer "PersonP" saying "Hello World" is offered to the agent
    Then "SendStartTypingToAgentsNotification" in state "Invited" fails with statusCode 2

  @inferred @unknown-interaction @doc:ReturnValues
  Scenario: agent performs SendStartTypingToAgentsNotification on an unknown chat -> statusCode 6
    Given a chat from customer "PersonP" saying "Hello World" is offered to the agent
    When the agent performs "SendStartTypingToAgentsNotification" on an unknown chat
    Then the operation fails with statusCode 6 and a statusMessage
