import type { Kysely } from 'kysely';

// Calendars and appointments (the record's Appointments tab). Schema builder only, so one module serves SQLite and
// PostgreSQL. Double-booking is refused atomically on both engines: a booking first upserts the member's row in
// `booking_locks` (SQLite: takes the database's write lock; PostgreSQL: locks that row until commit), then checks
// for overlaps and inserts — two bookings of one member never check at the same time.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('calendars')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    // IANA zone the working hours are in (Europe/Berlin).
    .addColumn('time_zone', 'text', (c) => c.notNull())
    .addColumn('slot_minutes', 'integer', (c) => c.notNull())
    .addColumn('buffer_minutes', 'integer', (c) => c.notNull().defaultTo(0))
    // JSON: { mon: [{ start: '09:00', end: '17:00' }], …, sun: [] }
    .addColumn('working_hours', 'text', (c) => c.notNull())
    .addColumn('default_location', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('default_title', 'text', (c) => c.notNull())
    .addColumn('default_description', 'text', (c) => c.notNull().defaultTo(''))
    // Round-robin: the member assigned last (the next booking starts after them in the members' order).
    .addColumn('rr_last_member_id', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('calendars_workspace').on('calendars').columns(['workspace_id', 'name']).execute();

  await db.schema
    .createTable('calendar_members')
    .addColumn('calendar_id', 'text', (c) => c.notNull().references('calendars.id').onDelete('cascade'))
    .addColumn('member_id', 'text', (c) => c.notNull().references('members.id').onDelete('cascade'))
    // The round-robin order.
    .addColumn('position', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('calendar_members_pk', ['calendar_id', 'member_id'])
    .execute();

  await db.schema
    .createTable('appointments')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    .addColumn('contact_id', 'text', (c) => c.notNull().references('contacts.id').onDelete('cascade'))
    .addColumn('calendar_id', 'text', (c) => c.notNull().references('calendars.id'))
    .addColumn('member_id', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    // JSON array of contact ids (guests).
    .addColumn('attendee_ids', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('time_zone', 'text', (c) => c.notNull())
    .addColumn('start_at', 'bigint', (c) => c.notNull())
    .addColumn('end_at', 'bigint', (c) => c.notNull())
    .addColumn('location', 'text', (c) => c.notNull().defaultTo(''))
    // confirmed | unconfirmed | cancelled
    .addColumn('status', 'text', (c) => c.notNull())
    // meeting | service
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text')
    .addColumn('cancelled_at', 'bigint')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('appointments_contact_start').on('appointments').columns(['contact_id', 'start_at', 'id']).execute();
  // A member's busy times (double-booking checks and slot computation).
  await db.schema.createIndex('appointments_member_start').on('appointments').columns(['workspace_id', 'member_id', 'start_at']).execute();

  await db.schema
    .createTable('booking_locks')
    .addColumn('member_id', 'text', (c) => c.primaryKey())
    .addColumn('bookings', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('booking_locks').execute();
  await db.schema.dropTable('appointments').execute();
  await db.schema.dropTable('calendar_members').execute();
  await db.schema.dropTable('calendars').execute();
}
