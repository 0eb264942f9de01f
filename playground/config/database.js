// SQLite by default; DB=postgres or DB=mysql use the local servers. The test harness sets DATABASE_* per test file.
const path = require('path');

module.exports = ({ env }) => {
  const client = env('DB', 'sqlite');
  const pool = { min: 0, max: env.int('DATABASE_POOL_MAX', 10) };
  if (client === 'postgres') {
    return {
      connection: {
        client: 'postgres',
        connection: {
          host: env('DATABASE_HOST', '127.0.0.1'),
          port: env.int('DATABASE_PORT', 5432),
          database: env('DATABASE_NAME', 'test'),
          user: env('DATABASE_USERNAME', 'postgres'),
          password: env('DATABASE_PASSWORD', ''),
          schema: env('DATABASE_SCHEMA', 'public'),
        },
        pool,
      },
    };
  }
  if (client === 'mysql') {
    return {
      connection: {
        client: 'mysql',
        connection: {
          host: env('DATABASE_HOST', '127.0.0.1'),
          port: env.int('DATABASE_PORT', 3306),
          database: env('DATABASE_NAME', 'test'),
          user: env('DATABASE_USERNAME', 'root'),
          password: env('DATABASE_PASSWORD', ''),
        },
        pool,
      },
    };
  }
  if (client !== 'sqlite') throw new Error(`DB must be sqlite, postgres or mysql, not "${client}"`);
  return {
    connection: {
      client: 'sqlite',
      connection: { filename: env('DATABASE_FILENAME', path.join(__dirname, '..', '.tmp', 'data.db')) },
      useNullAsDefault: true,
    },
  };
};
