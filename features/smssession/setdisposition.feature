@smssession @setdisposition @doc:SMSSetDisposition
Feature: SMS session: SetDisposition
  The agent sets the disposition: a PropertiesUpdated whose userData holds the disposition under
  dispositionKey, or under DispositionCode without one, as the sample shows. Valid after Leave too
  (the Leave page: the agent can still set the disposition).
  Documentation: https://docs.genesys.com/Documentation/GWS/latest/API/SMSSetDisposition

  @precondition:accept
  Scenario: agent performs SetDisposition on an SMS session -> documented notification
    Given an SMS session from customer "PersonP" saying "Hello World" is offered to the agent
    And the agent has accepted the SMS session as "Marat"
    When the agent performs "SetDisposition" on the SMS session with:
      | disposition | IssueResolved |
    Then the operation succeeds with statusCode 0
    And the notifications documented for "SetDisposition" arrive

  @precondition:accept @precondition:leave
  Scenario: agent performs SetDisposition on an SMS session it left -> documented notification
    Given an SMS session from customer "PersonP" saying "Hello World" is offered to the agent
    And the agent has accepted the SMS session as "Marat"
    And the agent has performed "Leave" on the SMS session
    When the agent performs "SetDisposition" on the SMS session with:
      | disposition | IssueResolved |
    Then the operation succeeds with statusCode 0
    And the notifications documented for "SetDisposition" arrive

  @inferred @missing-parameter @precondition:accept @doc:ReturnValues
  Scenario: agent performs SetDisposition without disposition on an SMS session -> statusCode 1
    Given an SMS session from customer "PersonP" saying "Hello World" is offered to the agent
    And the agent has accepted the SMS session as "Marat"
    When the agent performs "SetDisposition" on the SMS session without disposition
    Then the operation fails with statusCode 1 and a statusMessage

  @inferred @wrong-state @doc:ReturnValues
  Scenario: agent performs SetDisposition on an SMS session still offered -> statusCode 2
    Given an SMS session from customer "PersonP" saying "Hello World" is offered to the agent
    Then "SetDisposition" in state "Invited" fails with statusCode 2

  @inferred @unknown-interaction @doc:ReturnValues
  Scenario: agent performs SetDisposition on an unknown SMS session -> statusCode 6
    Given an SMS session from customer "PersonP" saying "Hello World" is offered to the agent
    When the agent performs "SetDisposition" on an unknown SMS session
    Then the operation fails with statusCode 6 and a statusMessage
