@chat @invite @precondition:accept @doc:ChatInviteUser
Feature: Chat: Invite
  An agent invites another agent to a conference. The customer is aware of every agent in the
  conference: the invited agent is listed, and its ParticipantJoined is visible to all. targetUri
  names the agent. The response carries a referenceId.
  The page's copy stops inside the second notification (from the invited agent, visibility All):
  its type, ParticipantJoined, is @inferred.
  Documentation: https://docs.genesys.com/Documentation/GWS/8.5.2/API/ChatInviteUser

  Background:
    Given a chat from customer "FirstL" saying "Hello" is offered to the agent
    And the agent has accepted the chat as "TestName"
    And another agent is available

  @inferred
  Scenario: agent invites another agent through targetUri -> a conference, the agent joins for all
    When the agent performs "Invite" on the chat through its targetUri
    Then the operation succeeds with statusCode 0 and a referenceId
    And the notifications documented for "Invite" arrive

  @inferred @missing-parameter @doc:ReturnValues
  Scenario: agent invites without a target -> statusCode 1
    When the agent performs "Invite" on the chat without target
    Then the operation fails with statusCode 1 and a statusMessage

  @inferred @unknown-interaction @doc:ReturnValues
  Scenario: agent performs Invite on an unknown chat -> statusCode 6
    When the agent performs "Invite" on an unknown chat
    Then the operation fails with statusCode 6 and a statusMessage
