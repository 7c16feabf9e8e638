@session @authentication @doc:ReturnValues
Feature: Basic authentication on every request
  Every request carries the agent's credentials as HTTP Basic, the CometD endpoint included.
  Without them, or with a wrong password, Web Services answers statusCode 20, "User is not
  authenticated. Any subsequent request should provide credentials" (Return Values,
  https://enu.docs.genesys.com/Documentation:HTCC:API:ReturnValues:8.5.2), with HTTP 401.
  Each scenario opens an HTTP session of its own.

  Scenario: GET /api/v2/me without credentials is refused with statusCode 20
    Given a new HTTP session of the agent
    When the new session sends GET /api/v2/me without credentials
    Then the answer is HTTP 401 with statusCode 20

  Scenario: GET /api/v2/me with a wrong password is refused with statusCode 20
    Given a new HTTP session of the agent
    When the new session sends GET /api/v2/me with a wrong password
    Then the answer is HTTP 401 with statusCode 20

  Scenario: a CometD handshake without credentials is refused with statusCode 20
    Given a new HTTP session of the agent
    When the new session sends a CometD handshake without credentials
    Then the answer is HTTP 401 with statusCode 20

  @inferred
  Scenario: GET /api/v2/me with the agent's credentials answers the agent's user resource
    Given a new HTTP session of the agent
    When the new session sends GET /api/v2/me
    Then the answer is the agent's user resource
