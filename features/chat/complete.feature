@chat @complete @doc:ChatComplete
Feature: Chat: Complete
  Complete marks the interaction as complete and ends the session for the customer if it has not
  ended already; with queueName the interaction is placed in that queue. The StatusChange says
  Completed, with no capabilities.
  Documentation: https://docs.genesys.com/Documentation/HTCC/latest/API/ChatComplete

  @precondition:accept
  Scenario: agent completes an accepted chat -> Completed without capabilities
    Given a chat from customer "PersonP" saying "Hello World" is offered to the agent
    And the agent has accepted the chat as "Marat"
    When the agent performs "Complete" on the chat
    Then the operation succeeds with statusCode 0
    And the notifications documented for "Complete" arrive

  @precondition:accept
  Scenario: agent completes an accepted chat into a queue -> Completed
    Given a chat from customer "PersonP" saying "Hello World" is offered to the agent
    And the agent has accepted the chat as "Marat"
    When the agent performs "Complete" on the chat with:
      | queueName | PostProcessingQueue |
    Then the operation succeeds with statusCode 0
    And the notifications documented for "Complete" arrive

  @precondition:accept @precondition:leave
  Scenario: agent completes a chat it left -> Completed
    Given a chat from customer "PersonP" saying "Hello World" is offered to the agent
    And the agent has accepted the chat as "Marat"
    And the agent has performed "Leave" on the chat
    When the agent performs "Complete" on the chat
    Then the operation succeeds with statusCode 0
    And the notifications documented for "Complete" arrive

  @inferred @wrong-state @doc:ReturnValues
  Scenario: agent completes a chat still offered -> statusCode 2
    Given a chat from customer "PersonP" saying "Hello World" is offered to the agent
    Then "Complete" in state "Invited" fails with statusCode 2

  @inferred @unknown-interaction @doc:ReturnValues
  Scenario: agent performs Complete on an unknown chat -> statusCode 6
    Given a chat from customer "PersonP" saying "Hello World" is offered to the agent
    When the agent performs "Complete" on an unknown chat
    Then the operation fails with statusCode 6 and a statusMessage
