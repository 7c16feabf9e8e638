@facebooksession @resources @precondition:accept @doc:SMSResources
Feature: Facebook private messaging: the agent's interactions as resources
  GET /api/v2/me/{collection} lists the uris of the agent's interactions, and with fields=* the
  resources themselves; GET …/{id} answers one resource, its state and the operations available
  in that state; GET …/{id}/messages answers its transcript, optionally from startIndex and at
  most count entries. The SMS Session Resource page documents them; its copy stops in the message
  types table and shows no messages response, so the messages rules are inferred (entries
  numbered from 1, as in MessageLogUpdated).
  The facebook session's collection follows the same pattern (inferred: no resource page was found for it).
  Documentation: https://enu.docs.genesys.com/Documentation/HTCC/latest/API/SMSResources

  Background:
    Given a facebook session from customer "PersonP" saying "Hello World" is offered to the agent
    And the agent has accepted the facebook session as "Agent1"

  @inferred @collection
  Scenario: the facebook session collection lists the accepted facebook session's uri
    When the agent gets its facebook session collection
    Then the response lists the facebook session's uri

  @inferred @collection
  Scenario: the facebook session collection with fields=* holds the accepted facebook session, Chatting
    When the agent gets its facebook session collection with fields=*
    Then the response holds the facebook session in its current state

  @inferred @resource
  Scenario: the accepted facebook session as a resource is Chatting with the documented capabilities
    When the agent gets the facebook session
    Then the response holds the facebook session in its current state

  @inferred @messages @precondition:sendmessage
  Scenario: the facebook session's messages hold the customer's and the agent's texts
    Given the agent has performed "SendMessage" on the facebook session
    When the agent gets the facebook session's messages
    Then the messages hold the customer's text and the text the agent sent

  @inferred @messages @precondition:sendmessage
  Scenario: the facebook session's messages from startIndex 2, count 1, are one entry
    Given the agent has performed "SendMessage" on the facebook session
    When the agent gets the facebook session's messages with startIndex 2 and count 1
    Then the messages are 1 entries from index 2 on
