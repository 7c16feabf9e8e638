@chat @updateuserdata @doc:ChatUpdateUserData
Feature: Chat: UpdateUserData
  The agent updates user data: a PropertiesUpdated whose userData holds every key and value sent.
  The values sent are the page's request sample.
  The saved copy of the page is cut short (the copy stops inside the notification after the chat uri): the notification rule rests on the
  operation table and the pages of the other media.
  Documentation: https://docs.genesys.com/Documentation/GWS/8.6.0/API/ChatUpdateUserData

  @precondition:accept @precondition:attachuserdata
  Scenario: agent performs UpdateUserData on a chat -> documented notification
    Given a chat from customer "PersonP" saying "Hello World" is offered to the agent
    And the agent has accepted the chat as "Marat"
    And the agent has performed "AttachUserData" on the chat
    When the agent performs "UpdateUserData" on the chat
    Then the operation succeeds with statusCode 0
    And the notifications documented for "UpdateUserData" arrive

  @inferred @missing-parameter @precondition:accept @doc:ReturnValues
  Scenario: agent performs UpdateUserData without userData on a chat -> statusCode 1
    Given a chat from customer "PersonP" saying "Hello World" is offered to the agent
    And the agent has accepted the chat as "Marat"
    When the agent performs "UpdateUserData" on the chat without userData
    Then the operation fails with statusCode 1 and a statusMessage

  @inferred @wrong-state @doc:ReturnValues
  Scenario: agent performs UpdateUserData on a chat still offered -> statusCode 2
    Given a chat from customer "PersonP" saying "Hello World" is offered to the agent
    Then "UpdateUserData" in state "Invited" fails with statusCode 2

  @inferred @unknown-interaction @doc:ReturnValues
  Scenario: agent performs UpdateUserData on an unknown chat -> statusCode 6
    Given a chat from customer "PersonP" saying "Hello World" is offered to the agent
    When the agent performs "UpdateUserData" on an unknown chat
    Then the operation fails with statusCode 6 and a statusMessage
