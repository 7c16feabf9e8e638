@smssession @invite @precondition:accept @doc:SMSInvite
Feature: SMS session: Invite
  An agent invites another agent to a conference. The customer is aware of every agent in the
  conference: the invited agent is listed, and its ParticipantJoined is visible to all. targetUri or targetPath
  names the agent. The response carries a referenceId.
  The page's copy stops inside its first notification: the ParticipantJoined that follows rests on
  the chat Invite page (@inferred). Its sample sends userUri, a parameter its own table does not
  list: the suite sends the table's targetUri or targetPath.
  Documentation: https://docs.genesys.com/Documentation/GWS/latest/API/SMSInvite

  Background:
    Given an SMS session from customer "FirstL" saying "Hello" is offered to the agent
    And the agent has accepted the SMS session as "TestName"
    And another agent is available

  @inferred
  Scenario Outline: agent invites another agent through <field> -> a conference, the agent joins for all
    When the agent performs "Invite" on the SMS session through its <field>
    Then the operation succeeds with statusCode 0 and a referenceId
    And the notifications documented for "Invite" arrive

    Examples:
      | field      |
      | targetUri  |
      | targetPath |

  @inferred @missing-parameter @doc:ReturnValues
  Scenario: agent invites without a target -> statusCode 1
    When the agent performs "Invite" on the SMS session without target
    Then the operation fails with statusCode 1 and a statusMessage

  @inferred @unknown-interaction @doc:ReturnValues
  Scenario: agent performs Invite on an unknown SMS session -> statusCode 6
    When the agent performs "Invite" on an unknown SMS session
    Then the operation fails with statusCode 6 and a statusMessage
