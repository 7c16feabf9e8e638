@chat @reject @doc:ChatReject
Feature: Chat: Reject
  When a new interaction is offered, the agent can reject it; a successful Reject presents it to
  another agent. The interaction's StatusChange says Completed, with no capabilities.
  Documentation: https://docs.genesys.com/Documentation/GWS/8.5.2/API/ChatReject

  Scenario: agent rejects an offered chat -> Completed without capabilities
    Given a chat from customer "PersonP" saying "Hello World" is offered to the agent
    When the agent performs "Reject" on the chat
    Then the operation succeeds with statusCode 0
    And the notifications documented for "Reject" arrive

  @inferred @wrong-state @precondition:accept @doc:ReturnValues
  Scenario: agent rejects a chat already accepted -> statusCode 2
    Given a chat from customer "PersonP" saying "Hello World" is offered to the agent
    And the agent has accepted the chat as "Marat"
    Then "Reject" in state "Chatting" fails with statusCode 2

  @inferred @unknown-interaction @doc:ReturnValues
  Scenario: agent performs Reject on an unknown chat -> statusCode 6
    Given a chat from customer "PersonP" saying "Hello World" is offered to the agent
    When the agent performs "Reject" on an unknown chat
    Then the operation fails with statusCode 6 and a statusMessage
