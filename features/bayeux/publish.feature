@bayeux @publish @inferred @doc:BayeuxPublish
Feature: The agent's client only listens
  Web Services delivers unsolicited notifications to the agent
  (https://enu.docs.genesys.com/Documentation/GWS/8.5.2/API/AsynchronousEvents); a publish from the
  agent's client to a service channel or to one of its topics is answered with successful false
  (a publish response carries "successful: A boolean indicating the success or failure of the
  publish", https://docs.cometd.org/current/reference/#_bayeux_publish).

  Scenario Outline: a publish by the agent's client to <channel> is refused
    Given a CometD client of the second agent
    And it has handshaken
    When it publishes to "<channel>"
    Then the publish is refused

    Examples:
      | channel                  |
      | /service/gws-conformance |
      | /v2/me/chats             |
