@session @contact-center-session @doc:EndContactCenterSession
Feature: StartContactCenterSession, Ready and EndContactCenterSession
  StartContactCenterSession initializes the agent's session with its channels
  (https://docs.genesys.com/Documentation/GWS/8.5.2/API/StartContactCenterSession), Ready puts a
  channel in state Ready (https://docs.genesys.com/Documentation/HTCC/8.5.1/API/SettingAgentStateChannel),
  and EndContactCenterSession ends it: "This request also invalidates the client HTTP session and
  should be performed as the last step for session cleanup"
  (https://docs.genesys.com/Documentation/HTCC/8.5.2/API/EndContactCenterSession). The session is
  the second agent's (--user2): the run's agent keeps its own.

  Scenario: EndContactCenterSession ends the session and invalidates the HTTP session
    Given a new HTTP session of the second agent
    When the new session sends GET /api/v2/me
    And the new session starts a contact center session
    Then the operation succeeds with statusCode 0
    When the new session sets channel "chat" Ready
    Then the operation succeeds with statusCode 0
    When the new session ends the contact center session
    Then the operation succeeds with statusCode 0
    And the ended HTTP session is invalidated
