@smssession @accept @doc:SMSAccept
Feature: SMS session: Accept
  This request accepts an incoming SMS session. saveLAR (optional, true or false) stores the
  agent in the Contact Profile for last agent routing. The page prints the StatusChange
  messageType as "test_accept " (a documentation error); the runner expects
  SMSsessionStateChangeMessage as in the page's other notifications.
  Documentation: https://docs.genesys.com/Documentation/HTCC/latest/API/SMSAccept

  Scenario: agent accepts SMS session -> receives Chatting status
    Given an SMS session from customer "PersonP" saying "Hello World" is offered to the agent
    When the agent accepts the SMS session as "Marat"
    Then the operation succeeds with statusCode 0
    And a StatusChange notification for the SMS session arrives with state "Chatting"
    And the SMS session capabilities include the ones documented for Accept
    And a ParticipantsUpdated notification for the SMS session lists the agent as "Marat" and the customer as "PersonP"
    And a NewMessages notification for the SMS session carries the customer's message "Hello World"

  Scenario: agent accepts SMS session with saveLAR -> receives Chatting status
    Given an SMS session from customer "PersonQ" saying "Is anyone there?" is offered to the agent
    When the agent accepts the SMS session as "John Doe" with saveLAR
    Then the operation succeeds with statusCode 0
    And a StatusChange notification for the SMS session arrives with state "Chatting"
    And a ParticipantsUpdated notification for the SMS session lists the agent as "John Doe" and the customer as "PersonQ"
    And a NewMessages notification for the SMS session carries the customer's message "Is anyone there?"

  @inferred @doc:ReturnValues
  Scenario: agent accepts SMS session without nickname -> statusCode 1 with a statusMessage
    Given an SMS session from customer "PersonP" saying "Hello World" is offered to the agent
    When the agent accepts the SMS session without a nickname
    Then the operation fails with statusCode 1 and a statusMessage

  @inferred @doc:ReturnValues
  Scenario: agent accepts an unknown SMS session -> statusCode 6
    Given an SMS session from customer "PersonP" saying "Hello World" is offered to the agent
    When the agent accepts an unknown SMS session as "Marat"
    Then the operation fails with statusCode 6 and a statusMessage

  @inferred @doc:ReturnValues
  Scenario: agent accepts an SMS session already accepted -> statusCode 2
    Given an SMS session from customer "PersonP" saying "Hello World" is offered to the agent
    And the agent has accepted the SMS session as "Marat"
    When the agent accepts the SMS session as "Marat"
    Then the operation fails with statusCode 2 and a statusMessage
