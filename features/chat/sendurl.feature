@chat @sendurl @doc:ChatSendURL
Feature: Chat: SendUrl
  The agent pushes a URL to the customer: a PushUrl entry from the agent, visible to All, carrying
  the url sent. (The samples send www.genesys.com and show google.com: a documentation error; the
  rule that the entry carries the url sent is the page's description.)
  Documentation: https://docs.genesys.com/Documentation/HTCC/latest/API/ChatSendURL

  @precondition:accept
  Scenario: agent performs SendUrl on a chat -> documented notification
    Given a chat from customer "PersonP" saying "Hello World" is offered to the agent
    And the agent has accepted the chat as "Marat"
    When the agent performs "SendUrl" on the chat with:
      | url | http://www.genesys.com |
    Then the operation succeeds with statusCode 0
    And the notifications documented for "SendUrl" arrive

  @inferred @missing-parameter @precondition:accept @doc:ReturnValues
  Scenario: agent performs SendUrl without url on a chat -> statusCode 1
    Given a chat from customer "PersonP" saying "Hello World" is offered to the agent
    And the agent has accepted the chat as "Marat"
    When the agent performs "SendUrl" on the chat without url
    Then the operation fails with statusCode 1 and a statusMessage

  @inferred @wrong-state @doc:ReturnValues
  Scenario: agent performs SendUrl on a chat still offered -> statusCode 2
    Given a chat from customer "PersonP" saying "Hello World" is offered to the agent
    Then "SendUrl" in state "Invited" fails with statusCode 2

  @inferred @unknown-interaction @doc:ReturnValues
  Scenario: agent performs SendUrl on an unknown chat -> statusCode 6
    Given a chat from customer "PersonP" saying "Hello World" is offered to the agent
    When the agent performs "SendUrl" on an unknown chat
    Then the operation fails with statusCode 6 and a statusMessage
