@smssession @updateuserdata @doc:SMSUpdateUserData
Feature: SMS session: UpdateUserData
  The agent updates user data: a PropertiesUpdated whose userData holds every key and value sent.
  The values sent are the page's request sample.
  The saved copy of the page is cut short (every copy stops inside the notification after the smssession uri): the notification rule rests on the
  operation table and the pages of the other media.
  Documentation: https://enu.docs.genesys.com/Documentation/HTCC/latest/API/SMSUpdateUserData

  @precondition:accept @precondition:attachuserdata
  Scenario: agent performs UpdateUserData on an SMS session -> documented notification
    Given an SMS session from customer "PersonP" saying "Hello World" is offered to the agent
    And the agent has accepted the SMS session as "Marat"
    And the agent has performed "AttachUserData" on the SMS session
    When the agent performs "UpdateUserData" on the SMS session
    Then the operation succeeds with statusCode 0
    And the notifications documented for "UpdateUserData" arrive

  @inferred @missing-parameter @precondition:accept @doc:ReturnValues
  Scenario: agent performs UpdateUserData without userData on an SMS session -> statusCode 1
    Given an SMS session from customer "PersonP" saying "Hello World" is offered to the agent
    And the agent has accepted the SMS session as "Marat"
    When the agent performs "UpdateUserData" on the SMS session without userData
    Then the operation fails with statusCode 1 and a statusMessage

  @inferred @wrong-state @doc:ReturnValues
  Scenario: agent performs UpdateUserData on an SMS session still offered -> statusCode 2
    Given an SMS session from customer "PersonP" saying "Hello World" is offered to the agent
    Then "UpdateUserData" in state "Invited" fails with statusCode 2

  @inferred @unknown-interaction @doc:ReturnValues
  Scenario: agent performs UpdateUserData on an unknown SMS session -> statusCode 6
    Given an SMS session from customer "PersonP" saying "Hello World" is offered to the agent
    When the agent performs "UpdateUserData" on an unknown SMS session
    Then the operation fails with statusCode 6 and a statusMessage
