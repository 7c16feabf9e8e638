@session @delivery @doc:AsynchronousEvents
Feature: Each agent receives its own notifications only
  The CometD topics of the API are the agent's own (/v2/me/...): "Once your client application
  establishes a CometD session, you must create a subscription to one or more of the CometD topics"
  (https://enu.docs.genesys.com/Documentation/GWS/8.5.2/API/AsynchronousEvents). A second agent,
  logged in with its own credentials (--user2) and subscribed to every topic, receives none of the
  first agent's notifications. Absence is judged against a sentinel: an interaction offered to the
  second agent afterwards, which must arrive.

  Scenario: the second agent receives none of the first agent's notifications
    Given another agent is available
    And a CometD client of the second agent
    And it has handshaken
    When it subscribes to "/v2/me/**"
    And a chat is offered to the agent
    And a chat is offered to the second agent
    Then it receives the last offer
    And it received nothing of the first offer
