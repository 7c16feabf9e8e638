@chat @sendstoptypingnotification @doc:ChatSendStopTypingNotification
Feature: Chat: SendStopTypingNotification
  The agent tells the other participants that it has stopped typing: a MessageLogUpdated with a
  TypingStopped entry from the agent, visible to All.
  Documentation: https://docs.genesys.com/Documentation/GWS/8.5.2/API/ChatSendStopTypingNotification

  @precondition:accept
  Scenario: agent performs SendStopTypingNotification on a chat -> documented notification
    Given a chat from customer "PersonP" saying "Hello World" is offered to the agent
    And the agent has accepted the chat as "Marat"
    When the agent performs "SendStopTypingNotification" on the chat
    Then the operation succeeds with statusCode 0
    And the notifications documented for "SendStopTypingNotification" arrive

  @inferred @wrong-state @doc:ReturnValues
  Scenario: agent performs SendStopTypingNotification on a chat still offered -> statusCode 2
    Given a chat from customer "PersonP" saying "Hello World" is offered to the agent
    Then "SendStopTypingNotification" in state "Invited" fails with statusCode 2

  @inferred @unknown-interaction @doc:ReturnValues
  Scenario: agent performs SendStopTypingNotification on an unknown chat -> statusCode 6
    Given a chat from customer "PersonP" saying "Hello World" is offered to the agent
    When the agent performs "SendStopTypingNotification" on an unknown chat
    Then the operation fails with statusCode 6 and a statusMessage
