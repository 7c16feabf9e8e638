@facebooksession @leave @doc:FacebookPMLeave
Feature: Facebook private messaging: Leave
  Leave makes the agent leave the session. Alone, the session ends for the customer and the
  interaction goes to LeftChat, where the agent can still complete it; in a conference or
  consultation the agent leaves it and the interaction is Completed for that agent.
  The only copy of the page is a 2015 draft revision whose notification sample is cut short:
  the state it leads to rests on the chat and SMS pages of the same operation.
  Documentation: https://en.docs.genesys.com/index.php?diff=prev&oldid=321418&title=Documentation%3AHTCC%3AAPI%3AFacebookPMLeave%3A8.5.2DRAFT

  @precondition:accept
  Scenario: agent leaves a facebook session it is alone in -> LeftChat
    Given a facebook session from customer "PersonP" saying "Hello World" is offered to the agent
    And the agent has accepted the facebook session as "Marat"
    When the agent performs "Leave" on the facebook session
    Then the operation succeeds with statusCode 0
    And the notifications documented for "Leave" arrive

  @precondition:accept @precondition:consult
  Scenario: agent leaves a facebook session during a consultation -> Completed
    Given a facebook session from customer "VitaliyOnv" saying "NewTestaconsultoperation!!!" is offered to the agent
    And the agent has accepted the facebook session as "TestName"
    And another agent is available
    And the agent has performed "Consult" on the facebook session
    When the agent performs "Leave" on the facebook session
    Then the operation succeeds with statusCode 0
    And the notifications documented for "Leave" arrive

  @inferred @wrong-state @doc:ReturnValues
  Scenario: agent leaves a facebook session still offered -> statusCode 2
    Given a facebook session from customer "PersonP" saying "Hello World" is offered to the agent
    Then "Leave" in state "Invited" fails with statusCode 2

  @inferred @unknown-interaction @doc:ReturnValues
  Scenario: agent performs Leave on an unknown facebook session -> statusCode 6
    Given a facebook session from customer "PersonP" saying "Hello World" is offered to the agent
    When the agent performs "Leave" on an unknown facebook session
    Then the operation fails with statusCode 6 and a statusMessage
