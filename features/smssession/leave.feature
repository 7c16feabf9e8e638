@smssession @leave @doc:SMSLeave
Feature: SMS session: Leave
  Leave makes the agent leave the session. Alone, the session ends for the customer and the
  interaction goes to LeftChat, where the agent can still complete it; in a conference or
  consultation the agent leaves it and the interaction is Completed for that agent.
  Documentation: https://docs.genesys.com/Documentation/HTCC/latest/API/SMSLeave

  @precondition:accept
  Scenario: agent leaves an SMS session it is alone in -> LeftChat
    Given an SMS session from customer "PersonP" saying "Hello World" is offered to the agent
    And the agent has accepted the SMS session as "Marat"
    When the agent performs "Leave" on the SMS session
    Then the operation succeeds with statusCode 0
    And the notifications documented for "Leave" arrive

  @inferred @wrong-state @doc:ReturnValues
  Scenario: agent leaves an SMS session still offered -> statusCode 2
    Given an SMS session from customer "PersonP" saying "Hello World" is offered to the agent
    Then "Leave" in state "Invited" fails with statusCode 2

  @inferred @unknown-interaction @doc:ReturnValues
  Scenario: agent performs Leave on an unknown SMS session -> statusCode 6
    Given an SMS session from customer "PersonP" saying "Hello World" is offered to the agent
    When the agent performs "Leave" on an unknown SMS session
    Then the operation fails with statusCode 6 and a statusMessage
