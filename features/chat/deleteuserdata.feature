@chat @deleteuserdata @doc:ChatDeleteUserData
Feature: Chat: DeleteUserData
  The agent deletes user data keys: a PropertiesUpdated whose userData holds none of the keys sent.
  The keys sent are the page's request sample, attached first with the AttachUserData sample.
  The saved copy of the page is cut short (the copy stops inside the notification's participants list): the notification rule rests on the
  operation table and the pages of the other media.
  Documentation: https://docs.genesys.com/Documentation/GWS/8.5.2/API/ChatDeleteUserData

  @precondition:accept @precondition:attachuserdata
  Scenario: agent performs DeleteUserData on a chat -> documented notification
    Given a chat from customer "PersonP" saying "Hello World" is offered to the agent
    And the agent has accepted the chat as "Marat"
    And the agent has performed "AttachUserData" on the chat
    When the agent performs "DeleteUserData" on the chat
    Then the operation succeeds with statusCode 0
    And the notifications documented for "DeleteUserData" arrive

  @inferred @missing-parameter @precondition:accept @doc:ReturnValues
  Scenario: agent performs DeleteUserData without keys on a chat -> statusCode 1
    Given a chat from customer "PersonP" saying "Hello World" is offered to the agent
    And the agent has accepted the chat as "Marat"
    When the agent performs "DeleteUserData" on the chat without keys
    Then the operation fails with statusCode 1 and a statusMessage

  @inferred @wrong-state @doc:ReturnValues
  Scenario: agent performs DeleteUserData on a chat still offered -> statusCode 2
    Given a chat from customer "PersonP" saying "Hello World" is offered to the agent
    Then "DeleteUserData" in state "Invited" fails with statusCode 2

  @inferred @unknown-interaction @doc:ReturnValues
  Scenario: agent performs DeleteUserData on an unknown chat -> statusCode 6
    Given a chat from customer "PersonP" saying "Hello World" is offered to the agent
    When the agent performs "DeleteUserData" on an unknown chat
    Then the operation fails with statusCode 6 and a statusMessage
