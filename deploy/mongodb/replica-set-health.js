// Health check of the MongoDB container, run by mongosh every few seconds (see docker-compose.yml).
//
// It is also what initialises the deployment, idempotently, so that no one-shot init container is needed:
//  1. initiates the single-member replica set "rs0" if it has no configuration yet;
//  2. once this member is the writable primary, creates each Signet service's user (readWrite on its own
//     database only) if it does not exist yet;
//  3. exits 0 only when the member is a writable primary and every service user exists.
// Services wait for "service_healthy", so they never start against a member that cannot take writes.
// Passwords come from the container environment; nothing here prints them.

const NOT_YET_INITIALIZED = 94;
const ALREADY_INITIALIZED = 23;

const SERVICE_USERS = [
  { user: 'challenge-service', database: 'signet-challenge-service', passwordVariable: 'SIGNET_MONGODB_CHALLENGE_PASSWORD' },
  { user: 'rules-service', database: 'signet-rules-service', passwordVariable: 'SIGNET_MONGODB_RULES_PASSWORD' },
  { user: 'sms-dispatcher', database: 'signet-sms-dispatcher', passwordVariable: 'SIGNET_MONGODB_DISPATCHER_PASSWORD' },
  { user: 'audit-service', database: 'signet-audit-service', passwordVariable: 'SIGNET_MONGODB_AUDIT_PASSWORD' },
];

function command(database, body) {
  try {
    return database.runCommand(body);
  } catch (error) {
    return { ok: 0, code: error.code, errmsg: error.message };
  }
}

const admin = db.getSiblingDB('admin');
admin.auth(process.env.MONGO_INITDB_ROOT_USERNAME, process.env.MONGO_INITDB_ROOT_PASSWORD);

const status = command(admin, { replSetGetStatus: 1 });
if (status.ok !== 1) {
  if (status.code !== NOT_YET_INITIALIZED) {
    // For example the image's one-off init phase, which runs mongod without --replSet: not ready yet.
    print('replica set status unavailable: ' + status.errmsg);
    quit(1);
  }
  const initiated = command(admin, {
    replSetInitiate: { _id: 'rs0', members: [{ _id: 0, host: 'mongodb:27017' }] },
  });
  if (initiated.ok !== 1 && initiated.code !== ALREADY_INITIALIZED) {
    print('replica set initiation failed: ' + initiated.errmsg);
    quit(1);
  }
  print('replica set rs0 initiated');
  quit(1); // the election takes a moment: report healthy on a later run
}

if (!command(admin, { hello: 1 }).isWritablePrimary) {
  print('not yet the writable primary');
  quit(1);
}

for (const service of SERVICE_USERS) {
  const password = process.env[service.passwordVariable];
  if (!password) {
    print(service.passwordVariable + ' is not set');
    quit(1);
  }
  const database = db.getSiblingDB(service.database);
  if (database.getUser(service.user) === null) {
    database.createUser({ user: service.user, pwd: password, roles: [{ role: 'readWrite', db: service.database }] });
    print('created user ' + service.user + ' on ' + service.database);
  }
}

quit(0);
