@smssession @complete @doc:SMSComplete
Feature: SMS session: Complete
  Complete marks the interaction as complete and ends the session for the customer if it has not
  ended already; with queueName the interaction is placed in that queue. The StatusChange says
  Completed, with no capabilities.
  Documentation: https://docs.genesys.com/Documentation/HTCC/latest/API/SMSComplete

  @precondition:accept
  Scenario: agent completes an accepted SMS session -> Completed without capabilities
    Given an SMS session from customer "PersonP" saying "Hello World" is offered to the agent
    And the agent has accepted the SMS session as "Marat"
    When the agent performs "Complete" on the SMS session
    Then the operation succeeds with statusCode 0
    And the notifications documented for "Complete" arrive

  @precondition:accept
  Scenario: agent completes an accepted SMS session into a queue -> Completed
    Given an SMS session from customer "PersonP" saying "Hello World" is offered to the agent
    And the agent has accepted the SMS session as "Marat"
    When the agent performs "Complete" on the SMS session with:
      | queueName | PostProcessingQueue |
    Then the operation succeeds with statusCode 0
    And the notifications documented for "Complete" arrive

  @precondition:accept @precondition:leave
  Scenario: agent completes an SMS session it left -> Completed
    Given an SMS session from customer "PersonP" saying "Hello World" is offered to the agent
    And the agent has accepted the SMS session as "Marat"
    And the agent has performed "Leave" on the SMS session
    When the agent performs "Complete" on the SMS session
    Then the operation succeeds with statusCode 0
    And the notifications documented for "Complete" arrive

  @inferred @wrong-state @doc:ReturnValues
  Scenario: agent completes an SMS session still offered -> statusCode 2
    Given an SMS session from customer "PersonP" saying "Hello World" is offered to the agent
    Then "Complete" in state "Invited" fails with statusCode 2

  @inferred @unknown-interaction @doc:ReturnValues
  Scenario: agent performs Complete on an unknown SMS session -> statusCode 6
    Given an SMS session from customer "PersonP" saying "Hello World" is offered to the agent
    When the agent performs "Complete" on an unknown SMS session
    Then the operation fails with statusCode 6 and a statusMessage
