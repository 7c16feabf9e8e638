@chat @sendtoagents @doc:ChatSendToAgents
Feature: Chat: SendToAgents
  The agent sends a message to the other agents only: a Text entry from the agent, visible to Agents,
  carrying the text sent.
  Documentation: https://docs.genesys.com/Documentation/HTCC/latest/API/ChatSendToAgents

  @precondition:accept
  Scenario: agent performs SendToAgents on a chat -> documented notification
    Given a chat from customer "PersonP" saying "Hello World" is offered to the agent
    And the agent has accepted the chat as "Marat"
    When the agent performs "SendToAgents" on the chat with:
      | text | We need your help? |
    Then the operation succeeds with statusCode 0
    And the notifications documented for "SendToAgents" arrive

  @inferred @missing-parameter @precondition:accept @doc:ReturnValues
  Scenario: agent performs SendToAgents without text on a chat -> statusCode 1
    Given a chat from customer "PersonP" saying "Hello World" is offered to the agent
    And the agent has accepted the chat as "Marat"
    When the agent performs "SendToAgents" on the chat without text
    Then the operation fails with statusCode 1 and a statusMessage

  @inferred @wrong-state @doc:ReturnValues
  Scenario: agent performs SendToAgents on a chat still offered -> statusCode 2
    Given a chat from customer "PersonP" saying "Hello World" is offered to the agent
    Then "SendToAgents" in state "Invited" fails with statusCode 2

  @inferred @unknown-interaction @doc:ReturnValues
  Scenario: agent performs SendToAgents on an unknown chat -> statusCode 6
    Given a chat from customer "PersonP" saying "Hello World" is offered to the agent
    When the agent performs "SendToAgents" on an unknown chat
    Then the operation fails with statusCode 6 and a statusMessage
