@facebooksession @sendtoagents @doc:FacebookPMSendToAgents
Feature: Facebook private messaging: SendToAgents
  The agent sends a message to the other agents only: a Text entry from the agent, visible to Agents,
  carrying the text sent.
  Documentation: https://docs.genesys.com/Documentation/HTCC/8.5.2/API/FacebookPMSendToAgents

  @precondition:accept
  Scenario: agent performs SendToAgents on a facebook session -> documented notification
    Given a facebook session from customer "PersonP" saying "Hello World" is offered to the agent
    And the agent has accepted the facebook session as "Marat"
    When the agent performs "SendToAgents" on the facebook session with:
      | text | We need your help? |
    Then the operation succeeds with statusCode 0
    And the notifications documented for "SendToAgents" arrive

  @inferred @missing-parameter @precondition:accept @doc:ReturnValues
  Scenario: agent performs SendToAgents without text on a facebook session -> statusCode 1
    Given a facebook session from customer "PersonP" saying "Hello World" is offered to the agent
    And the agent has accepted the facebook session as "Marat"
    When the agent performs "SendToAgents" on the facebook session without text
    Then the operation fails with statusCode 1 and a statusMessage

  @inferred @wrong-state @doc:ReturnValues
  Scenario: agent performs SendToAgents on a facebook session still offered -> statusCode 2
    Given a facebook session from customer "PersonP" saying "Hello World" is offered to the agent
    Then "SendToAgents" in state "Invited" fails with statusCode 2

  @inferred @unknown-interaction @doc:ReturnValues
  Scenario: agent performs SendToAgents on an unknown facebook session -> statusCode 6
    Given a facebook session from customer "PersonP" saying "Hello World" is offered to the agent
    When the agent performs "SendToAgents" on an unknown facebook session
    Then the operation fails with statusCode 6 and a statusMessage
