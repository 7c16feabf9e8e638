@facebooksession @reject @doc:FacebookPMReject
Feature: Facebook private messaging: Reject
  When a new interaction is offered, the agent can reject it; a successful Reject presents it to
  another agent. The interaction's StatusChange says Completed, with no capabilities.
  Documentation: https://docs.genesys.com/Documentation/HTCC/latest/API/FacebookPMReject

  Scenario: agent rejects an offered facebook session -> Completed without capabilities
    Given a facebook session from customer "PersonP" saying "Hello World" is offered to the agent
    When the agent performs "Reject" on the facebook session
    Then the operation succeeds with statusCode 0
    And the notifications documented for "Reject" arrive

  @inferred @wrong-state @precondition:accept @doc:ReturnValues
  Scenario: agent rejects a facebook session already accepted -> statusCode 2
    Given a facebook session from customer "PersonP" saying "Hello World" is offered to the agent
    And the agent has accepted the facebook session as "Marat"
    Then "Reject" in state "Chatting" fails with statusCode 2

  @inferred @unknown-interaction @doc:ReturnValues
  Scenario: agent performs Reject on an unknown facebook session -> statusCode 6
    Given a facebook session from customer "PersonP" saying "Hello World" is offered to the agent
    When the agent performs "Reject" on an unknown facebook session
    Then the operation fails with statusCode 6 and a statusMessage
