@chat @transfer @precondition:accept @doc:ChatSingleStepTransfer
Feature: Chat: Transfer
  Transfer hands the chat over to another agent (targetUri) or to a queue (queueName); one of the
  two is mandatory. The response sample carries no referenceId. The page's Notifications section
  is empty on every copy: that the interaction is Completed for the agent who handed it over is @inferred. Transfer to a queue needs the `a queue is available` provider state (an extension of
  the target contract): a target that does not implement it makes that scenario an error.
  Documentation: https://docs.genesys.com/Documentation/GWS/8.5.2/API/ChatSingleStepTransfer

  Background:
    Given a chat from customer "PersonP" saying "Hello World" is offered to the agent
    And the agent has accepted the chat as "Marat"

  @inferred
  Scenario: agent transfers the chat to another agent -> Completed for the agent
    Given another agent is available
    When the agent performs "Transfer" on the chat through its targetUri
    Then the operation succeeds with statusCode 0
    And the notifications documented for "Transfer" arrive

  @inferred
  Scenario: agent transfers the chat to a queue -> Completed for the agent
    Given a queue is available
    When the agent performs "Transfer" on the chat through its queueName
    Then the operation succeeds with statusCode 0
    And the notifications documented for "Transfer" arrive

  @inferred @precondition:leave
  Scenario: agent transfers a chat it left -> Completed for the agent
    Given the agent has performed "Leave" on the chat
    And another agent is available
    When the agent performs "Transfer" on the chat through its targetUri
    Then the operation succeeds with statusCode 0
    And the notifications documented for "Transfer" arrive

  @inferred @missing-parameter @doc:ReturnValues
  Scenario: agent transfers without targetUri or queueName -> statusCode 1
    When the agent performs "Transfer" on the chat without target
    Then the operation fails with statusCode 1 and a statusMessage

  @inferred @unknown-interaction @doc:ReturnValues
  Scenario: agent performs Transfer on an unknown chat -> statusCode 6
    Given another agent is available
    When the agent performs "Transfer" on an unknown chat
    Then the operation fails with statusCode 6 and a statusMessage
