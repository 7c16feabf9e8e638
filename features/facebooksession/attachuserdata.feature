@facebooksession @attachuserdata @doc:FacebookPMAttachUserData
Feature: Facebook private messaging: AttachUserData
  The agent attaches user data: a PropertiesUpdated whose userData holds every key and value sent.
  Valid after Leave too. The values sent are the page's request sample.
  The saved copy of the page is cut short (the copy stops inside the notification's userData): the notification rule rests on the
  operation table and the pages of the other media.
  Documentation: https://en.docs.genesys.com/index.php?diff=prev&oldid=321425&title=Documentation%3AHTCC%3AAPI%3AFacebookPMAttachUserData%3A8.5.2DRAFT

  @precondition:accept
  Scenario: agent performs AttachUserData on a facebook session -> documented notification
    Given a facebook session from customer "PersonP" saying "Hello World" is offered to the agent
    And the agent has accepted the facebook session as "Marat"
    When the agent performs "AttachUserData" on the facebook session
    Then the operation succeeds with statusCode 0
    And the notifications documented for "AttachUserData" arrive

  @precondition:accept @precondition:leave
  Scenario: agent performs AttachUserData on a facebook session it left -> documented notification
    Given a facebook session from customer "PersonP" saying "Hello World" is offered to the agent
    And the agent has accepted the facebook session as "Marat"
    And the agent has performed "Leave" on the facebook session
    When the agent performs "AttachUserData" on the facebook session
    Then the operation succeeds with statusCode 0
    And the notifications documented for "AttachUserData" arrive

  @inferred @missing-parameter @precondition:accept @doc:ReturnValues
  Scenario: agent performs AttachUserData without userData on a facebook session -> statusCode 1
    Given a facebook session from customer "PersonP" saying "Hello World" is offered to the agent
    And the agent has accepted the facebook session as "Marat"
    When the agent performs "AttachUserData" on the facebook session without userData
    Then the operation fails with statusCode 1 and a statusMessage

  @inferred @wrong-state @doc:ReturnValues
  Scenario: agent performs AttachUserData on a facebook session still offered -> statusCode 2
    Given a facebook session from customer "PersonP" saying "Hello World" is offered to the agent
    Then "AttachUserData" in state "Invited" fails with statusCode 2

  @inferred @unknown-interaction @doc:ReturnValues
  Scenario: agent performs AttachUserData on an unknown facebook session -> statusCode 6
    Given a facebook session from customer "PersonP" saying "Hello World" is offered to the agent
    When the agent performs "AttachUserData" on an unknown facebook session
    Then the operation fails with statusCode 6 and a statusMessage
