@chat @consult @precondition:accept @doc:ChatConsult
Feature: Chat: Consult
  An agent consults another agent (or a multimedia queue) in the same chat context; the customer
  is not aware of the consulting agent, whose messages and notifications are visible to agents
  only. targetUri names the agent. The page's copy stops inside its first notification: that the
  consultant is listed with visibility Agents and joins with a ParticipantJoined for agents rests
  on the page's text and on the Facebook Consult page, so those rules are @inferred here.
  Documentation: https://docs.genesys.com/Documentation/GWS/8.5.2/API/ChatConsult

  Background:
    Given a chat from customer "FirstL" saying "Hello" is offered to the agent
    And the agent has accepted the chat as "TestName"
    And another agent is available

  @inferred
  Scenario: agent consults another agent through targetUri -> consultant joins for agents only
    When the agent performs "Consult" on the chat through its targetUri
    Then the operation succeeds with statusCode 0 and a referenceId
    And the notifications documented for "Consult" arrive

  @inferred @missing-parameter @doc:ReturnValues
  Scenario: agent consults without targetUri -> statusCode 1
    When the agent performs "Consult" on the chat without target
    Then the operation fails with statusCode 1 and a statusMessage

  @inferred @unknown-interaction @doc:ReturnValues
  Scenario: agent performs Consult on an unknown chat -> statusCode 6
    When the agent performs "Consult" on an unknown chat
    Then the operation fails with statusCode 6 and a statusMessage
