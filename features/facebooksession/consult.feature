@facebooksession @consult @precondition:accept @doc:FacebookPMConsult
Feature: Facebook private messaging: Consult
  An agent consults another agent in the same Facebook chat context; the customer is not aware
  of the consulting agent, whose messages and notifications are visible to agents only.
  targetUri or targetPath names the agent (one of them is mandatory).
  Documentation: https://docs.genesys.com/Documentation/HTCC/8.5.2/API/FacebookPMConsult

  Background:
    Given a facebook session from customer "VitaliyOnv" saying "NewTestaconsultoperation!!!" is offered to the agent
    And the agent has accepted the facebook session as "TestName"
    And another agent is available

  Scenario Outline: agent consults another agent through <field> -> consultant joins for agents only
    When the agent consults the other agent on the facebook session through its <field>
    Then the operation succeeds with statusCode 0 and a referenceId
    And the notifications documented for "Consult" arrive

    Examples:
      | field      |
      | targetUri  |
      | targetPath |

  @inferred @missing-parameter @doc:ReturnValues
  Scenario: agent consults without targetUri or targetPath -> statusCode 1
    When the agent consults on the facebook session without targetUri or targetPath
    Then the operation fails with statusCode 1 and a statusMessage
