@smssession @resources @precondition:accept @doc:SMSResources
Feature: SMS session: the agent's interactions as resources
  GET /api/v2/me/{collection} lists the uris of the agent's interactions, and with fields=* the
  resources themselves; GET …/{id} answers one resource, its state and the operations available
  in that state; GET …/{id}/messages answers its transcript, optionally from startIndex and at
  most count entries. The SMS Session Resource page documents them; its copy stops in the message
  types table and shows no messages response, so the messages rules are inferred (entries
  numbered from 1, as in MessageLogUpdated).
  Documentation: https://enu.docs.genesys.com/Documentation/HTCC/latest/API/SMSResources

  Background:
    Given an SMS session from customer "PersonP" saying "Hello World" is offered to the agent
    And the agent has accepted the SMS session as "Agent1"

  @collection
  Scenario: the SMS session collection lists the accepted SMS session's uri
    When the agent gets its SMS session collection
    Then the response lists the SMS session's uri

  @collection
  Scenario: the SMS session collection with fields=* holds the accepted SMS session, Chatting
    When the agent gets its SMS session collection with fields=*
    Then the response holds the SMS session in its current state

  @inferred @resource
  Scenario: the accepted SMS session as a resource is Chatting with the documented capabilities
    When the agent gets the SMS session
    Then the response holds the SMS session in its current state

  @inferred @messages @precondition:sendmessage
  Scenario: the SMS session's messages hold the customer's and the agent's texts
    Given the agent has performed "SendMessage" on the SMS session
    When the agent gets the SMS session's messages
    Then the messages hold the customer's text and the text the agent sent

  @inferred @messages @precondition:sendmessage
  Scenario: the SMS session's messages from startIndex 2, count 1, are one entry
    Given the agent has performed "SendMessage" on the SMS session
    When the agent gets the SMS session's messages with startIndex 2 and count 1
    Then the messages are 1 entries from index 2 on
