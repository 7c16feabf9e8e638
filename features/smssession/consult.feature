@smssession @consult @precondition:accept @doc:SMSConsult
Feature: SMS session: Consult
  An agent consults another agent (or a queue) in the same SMS session; the customer is not aware
  of the consulting agent. targetUri or targetPath names the agent (one of them is mandatory).
  The page's copy stops inside its first notification: that the consultant is listed with
  visibility Agents and joins with a ParticipantJoined for agents rests on the chat page's text and
  on the Facebook Consult page, so those rules are @inferred here.
  Documentation: https://enu.docs.genesys.com/Documentation/GWS/latest/API/SMSConsult

  Background:
    Given an SMS session from customer "FirstL" saying "Hello" is offered to the agent
    And the agent has accepted the SMS session as "TestName"
    And another agent is available

  @inferred
  Scenario Outline: agent consults another agent through <field> -> consultant joins for agents only
    When the agent performs "Consult" on the SMS session through its <field>
    Then the operation succeeds with statusCode 0 and a referenceId
    And the notifications documented for "Consult" arrive

    Examples:
      | field      |
      | targetUri  |
      | targetPath |

  @inferred @missing-parameter @doc:ReturnValues
  Scenario: agent consults without targetUri or targetPath -> statusCode 1
    When the agent performs "Consult" on the SMS session without target
    Then the operation fails with statusCode 1 and a statusMessage

  @inferred @unknown-interaction @doc:ReturnValues
  Scenario: agent performs Consult on an unknown SMS session -> statusCode 6
    When the agent performs "Consult" on an unknown SMS session
    Then the operation fails with statusCode 6 and a statusMessage
