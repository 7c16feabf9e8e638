@chat @leave @doc:ChatLeave
Feature: Chat: Leave
  Leave makes the agent leave the session. Alone, the session ends for the customer and the
  interaction goes to LeftChat, where the agent can still complete it; in a conference or
  consultation the agent leaves it and the interaction is Completed for that agent.
  Documentation: https://docs.genesys.com/Documentation/HTCC/latest/API/ChatLeave

  @precondition:accept
  Scenario: agent leaves a chat it is alone in -> LeftChat
    Given a chat from customer "PersonP" saying "Hello World" is offered to the agent
    And the agent has accepted the chat as "Marat"
    When the agent performs "Leave" on the chat
    Then the operation succeeds with statusCode 0
    And the notifications documented for "Leave" arrive

  @inferred @wrong-state @doc:ReturnValues
  Scenario: agent leaves a chat still offered -> statusCode 2
    Given a chat from customer "PersonP" saying "Hello World" is offered to the agent
    Then "Leave" in state "Invited" fails with statusCode 2

  @inferred @unknown-interaction @doc:ReturnValues
  Scenario: agent performs Leave on an unknown chat -> statusCode 6
    Given a chat from customer "PersonP" saying "Hello World" is offered to the agent
    When the agent performs "Leave" on an unknown chat
    Then the operation fails with statusCode 6 and a statusMessage
