@facebooksession @complete @doc:FacebookPMComplete
Feature: Facebook private messaging: Complete
  Complete marks the interaction as complete and ends the session for the customer if it has not
  ended already; with queueName the interaction is placed in that queue. The StatusChange says
  Completed, with no capabilities.
  The only copy of the page is a 2015 draft revision whose notification sample is cut short:
  the state it leads to rests on the chat and SMS pages of the same operation.
  Documentation: https://en.docs.genesys.com/index.php?oldid=321190&title=Documentation%3AHTCC%3AAPI%3AFacebookPMComplete%3A8.5.2DRAFT

  @precondition:accept
  Scenario: agent completes an accepted facebook session -> Completed without capabilities
    Given a facebook session from customer "PersonP" saying "Hello World" is offered to the agent
    And the agent has accepted the facebook session as "Marat"
    When the agent performs "Complete" on the facebook session
    Then the operation succeeds with statusCode 0
    And the notifications documented for "Complete" arrive

  @precondition:accept
  Scenario: agent completes an accepted facebook session into a queue -> Completed
    Given a facebook session from customer "PersonP" saying "Hello World" is offered to the agent
    And the agent has accepted the facebook session as "Marat"
    When the agent performs "Complete" on the facebook session with:
      | queueName | PostProcessingQueue |
    Then the operation succeeds with statusCode 0
    And the notifications documented for "Complete" arrive

  @precondition:accept @precondition:leave
  Scenario: agent completes a facebook session it left -> Completed
    Given a facebook session from customer "PersonP" saying "Hello World" is offered to the agent
    And the agent has accepted the facebook session as "Marat"
    And the agent has performed "Leave" on the facebook session
    When the agent performs "Complete" on the facebook session
    Then the operation succeeds with statusCode 0
    And the notifications documented for "Complete" arrive

  @inferred @wrong-state @doc:ReturnValues
  Scenario: agent completes a facebook session still offered -> statusCode 2
    Given a facebook session from customer "PersonP" saying "Hello World" is offered to the agent
    Then "Complete" in state "Invited" fails with statusCode 2

  @inferred @unknown-interaction @doc:ReturnValues
  Scenario: agent performs Complete on an unknown facebook session -> statusCode 6
    Given a facebook session from customer "PersonP" saying "Hello World" is offered to the agent
    When the agent performs "Complete" on an unknown facebook session
    Then the operation fails with statusCode 6 and a statusMessage
