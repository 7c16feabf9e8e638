@smssession @attachuserdata @doc:SMSAttachUserData
Feature: SMS session: AttachUserData
  The agent attaches user data: a PropertiesUpdated whose userData holds every key and value sent.
  Valid after Leave too. The values sent are the page's request sample.
  The saved copy of the page is cut short (the copy stops inside the notification's uri): the notification rule rests on the
  operation table and the pages of the other media.
  Documentation: https://docs.genesys.com/Documentation/GWS/8.5.2/API/SMSAttachUserData

  @precondition:accept
  Scenario: agent performs AttachUserData on an SMS session -> documented notification
    Given an SMS session from customer "PersonP" saying "Hello World" is offered to the agent
    And the agent has accepted the SMS session as "Marat"
    When the agent performs "AttachUserData" on the SMS session
    Then the operation succeeds with statusCode 0
    And the notifications documented for "AttachUserData" arrive

  @precondition:accept @precondition:leave
  Scenario: agent performs AttachUserData on an SMS session it left -> documented notification
    Given an SMS session from customer "PersonP" saying "Hello World" is offered to the agent
    And the agent has accepted the SMS session as "Marat"
    And the agent has performed "Leave" on the SMS session
    When the agent performs "AttachUserData" on the SMS session
    Then the operation succeeds with statusCode 0
    And the notifications documented for "AttachUserData" arrive

  @inferred @missing-parameter @precondition:accept @doc:ReturnValues
  Scenario: agent performs AttachUserData without userData on an SMS session -> statusCode 1
    Given an SMS session from customer "PersonP" saying "Hello World" is offered to the agent
    And the agent has accepted the SMS session as "Marat"
    When the agent performs "AttachUserData" on the SMS session without userData
    Then the operation fails with statusCode 1 and a statusMessage

  @inferred @wrong-state @doc:ReturnValues
  Scenario: agent performs AttachUserData on an SMS session still offered -> statusCode 2
    Given an SMS session from customer "PersonP" saying "Hello World" is offered to the agent
    Then "AttachUserData" in state "Invited" fails with statusCode 2

  @inferred @unknown-interaction @doc:ReturnValues
  Scenario: agent performs AttachUserData on an unknown SMS session -> statusCode 6
    Given an SMS session from customer "PersonP" saying "Hello World" is offered to the agent
    When the agent performs "AttachUserData" on an unknown SMS session
    Then the operation fails with statusCode 6 and a statusMessage
