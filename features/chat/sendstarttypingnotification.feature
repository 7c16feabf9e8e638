@chat @sendstarttypingnotification @doc:ChatSendStartTypingNotification
Feature: Chat: SendStartTypingNotification
  The agent tells the other participants that it has started typing: a MessageLogUpdated with a
  TypingStarted entry from the agent, visible to All.
  Documentation: https://docs.genesys.com/Documentation/GWS/8.5.2/API/ChatSendStartTypingNotification

  @precondition:accept
  Scenario: agent performs SendStartTypingNotification on a chat -> documented notification
    Given a chat from customer "PersonP" saying "Hello World" is offered to the agent
    And the agent has accepted the chat as "Marat"
    When the agent performs "SendStartTypingNotification" on the chat
    Then the operation succeeds with statusCode 0
    And the notifications documented for "SendStartTypingNotification" arrive

  @inferred @wrong-state @doc:ReturnValues
  Scenario: agent performs SendStartTypingNotification on a chat still offered -> statusCode 2
    Given a chat from customer "PersonP" saying "Hello World" is offered to the agent
    Then "SendStartTypingNotification" in state "Invited" fails with statusCode 2

  @inferred @unknown-interaction @doc:ReturnValues
  Scenario: agent performs SendStartTypingNotification on an unknown chat -> statusCode 6
    Given a chat from customer "PersonP" saying "Hello World" is offered to the agent
    When the agent performs "SendStartTypingNotification" on an unknown chat
    Then the operation fails with statusCode 6 and a statusMessage
