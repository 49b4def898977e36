import Database from 'better-sqlite3';
import { reusingStatements } from '../../src/store/sqlite-statements';

test('the same text is prepared once; a statement still iterating is not handed out again', () => {
  const sqlite = new Database(':memory:');
  const db = reusingStatements(sqlite);
  db.prepare('create table t (n integer)').run([]);
  const insert = db.prepare('insert into t (n) values (?)');
  for (const n of [1, 2, 3]) expect(db.prepare('insert into t (n) values (?)')).toBe(insert), insert.run([n]);

  const select = db.prepare('select n from t order by n');
  const rows = select.iterate([]);
  expect(rows.next().value).toEqual({ n: 1 });
  const meanwhile = db.prepare('select n from t order by n'); // the first is busy mid-iteration
  expect(meanwhile).not.toBe(select);
  expect(meanwhile.all([])).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }]);
  expect([...rows]).toEqual([{ n: 2 }, { n: 3 }]);
  expect(db.prepare('select n from t order by n')).toBe(select); // free again, and still the kept one
  db.close();
  expect(sqlite.open).toBe(false);
});
