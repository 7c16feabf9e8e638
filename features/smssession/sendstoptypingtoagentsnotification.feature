@smssession @sendstoptypingtoagentsnotification @doc:SMSSendStopTypingToAgentsNotification
Feature: SMS session: SendStopTypingToAgentsNotification
  The agent tells the other agents that it has stopped typing: a TypingStopped entry from the agent,
  visible to Agents. The page's parameter table and sample send the operationName
  SendStopTypingToAgentNotification (its title and the capability say ...Agents...): the suite sends
  the page's spelling; a target may accept both.
  Documentation: https://docs.genesys.com/Documentation/GWS/latest/API/SMSSendStopTypingToAgentsNotification

  @precondition:accept
  Scenario: agent performs SendStopTypingToAgentsNotification on an SMS session -> documented notification
    Given an SMS session from customer "PersonP" saying "Hello World" is offered to the agent
    And the agent has accepted the SMS session as "Marat"
    When the agent performs "SendStopTypingToAgentsNotification" on the SMS session
    Then the operation succeeds with statusCode 0
    And the notifications documented for "SendStopTypingToAgentsNotification" arrive

  @inferred @wrong-state @doc:ReturnValues
  Scenario: agent performs SendStopTypingToAgentsNotification on an SMS session still offered -> statusCode 2
    Given an SMS session from customer "PersonP" saying "Hello World" is offered to the agent
    Then "SendStopTypingToAgentsNotification" in state "Invited" fails with statusCode 2

  @inferred @unknown-interaction @doc:ReturnValues
  Scenario: agent performs SendStopTypingToAgentsNotification on an unknown SMS session -> statusCode 6
    Given an SMS session from customer "PersonP" saying "Hello World" is offered to the agent
    When the agent performs "SendStopTypingToAgentsNotification" on an unknown SMS session
    Then the operation fails with statusCode 6 and a statusMessage
