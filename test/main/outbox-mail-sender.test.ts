/**
 * The outbox sender (outbox-mail-sender.ts) and the recipient rule both senders share
 * (mail-recipient.ts): each message a whole private file, named so files sort in sending order;
 * a recipient that is not one plain address is refused and nothing is written.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { outboxMailSender } from '../../src/main/outbox-mail-sender.js';
import { recipient } from '../../src/main/mail-recipient.js';
import { parseMail } from '../helpers/mail-links.js';
import { tempFolders } from '../helpers/temp-folders.js';

const newFolder = tempFolders('gatehouse-outbox-test-');

describe('the outbox sender', () => {
  it('writes each mail as a 0600 file in a 0700 folder, in sending order, even within one millisecond', async () => {
    const folder = join(newFolder(), 'outbox');
    const sameInstant = new Date('2030-01-01T00:00:00Z');
    const sender = outboxMailSender(folder, () => sameInstant);
    const subjects = Array.from({ length: 12 }, (_, i) => `mail ${i}`);
    await Promise.all(subjects.map((subject) => sender.send({ to: 'a@example.com', subject, text: `body of ${subject}` })));
    const files = readdirSync(folder).sort();
    assert.equal(files.length, 12);
    assert.ok(files.every((f) => f.endsWith('.eml')), 'no partial file left');
    assert.equal(statSync(folder).mode & 0o777, 0o700);
    const parsed = [];
    for (const f of files) {
      assert.equal(statSync(join(folder, f)).mode & 0o777, 0o600, f);
      parsed.push(await parseMail(readFileSync(join(folder, f))));
    }
    assert.deepEqual(parsed.map((m) => m.subject), subjects);
    assert.equal(parsed[0]!.from, '"Gatehouse" <noreply@localhost>');
    assert.equal(parsed[0]!.text.trim(), 'body of mail 0');
  });

  it('refuses a recipient that is not one plain address, writing nothing', async () => {
    const folder = newFolder();
    const sender = outboxMailSender(folder);
    for (const to of ['victim@example.com,x', 'Name <a@example.com>', 'a@example.com\r\nBcc: b@example.com', 'no-at-sign']) {
      await assert.rejects(sender.send({ to, subject: 's', text: 't' }), /not one plain e-mail address/, JSON.stringify(to));
    }
    assert.deepEqual(readdirSync(folder), []);
    assert.deepEqual(recipient('Ana@Example.com'), { name: '', address: 'Ana@Example.com' });
  });
});
