@chat @accept @doc:ChatAccept
Feature: Chat: Accept
  When a new chat is offered, an agent can either accept or reject it. Accepting a chat
  allows the agent to start working on it; afterwards a CometD notification arrives with the
  complete chat history.
  Documentation: https://docs.genesys.com/Documentation/GWS/8.5.2/API/ChatAccept

  Scenario: agent accepts chat -> receives Chatting status
    Given a chat from customer "PersonP" saying "Hello World" is offered to the agent
    When the agent accepts the chat as "Marat"
    Then the operation succeeds with statusCode 0
    And the notifications documented for "Accept" arrive

  @inferred @missing-parameter @doc:ReturnValues
  Scenario: agent accepts chat without nickname -> statusCode 1 with a statusMessage
    Given a chat from customer "PersonP" saying "Hello World" is offered to the agent
    When the agent accepts the chat without a nickname
    Then the operation fails with statusCode 1 and a statusMessage

  @inferred @unknown-interaction @doc:ReturnValues
  Scenario: agent accepts an unknown chat -> statusCode 6
    Given a chat from customer "PersonP" saying "Hello World" is offered to the agent
    When the agent accepts an unknown chat as "Marat"
    Then the operation fails with statusCode 6 and a statusMessage

  @inferred @wrong-state @precondition:accept @doc:ReturnValues
  Scenario: agent accepts a chat already accepted -> statusCode 2
    Given a chat from customer "PersonP" saying "Hello World" is offered to the agent
    And the agent has accepted the chat as "Marat"
    When the agent accepts the chat as "Marat"
    Then the operation fails with statusCode 2 and a statusMessage
