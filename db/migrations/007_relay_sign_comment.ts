import { sql, type Kysely } from 'kysely';

/**
 * The office leader's comment when signing a relay (签发上报意见), kept on the hop beside the assessment.
 * Once the hop is relayed the comment is a fact like the relay time.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('report_hops').addColumn('relay_sign_comment', 'text').execute();
  await sql`
    create or replace function report_hop_facts() returns trigger language plpgsql as $$
    begin
      if new.received_at is distinct from old.received_at
        or (old.acknowledged_at is not null and new.acknowledged_at is distinct from old.acknowledged_at)
        or (old.relayed_at is not null and (new.relayed_at is distinct from old.relayed_at or new.state <> 'relayed'
            or new.relay_sign_comment is distinct from old.relay_sign_comment)) then
        raise exception 'report hop times are immutable' using errcode = 'check_violation';
      end if;
      return new;
    end $$`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    create or replace function report_hop_facts() returns trigger language plpgsql as $$
    begin
      if new.received_at is distinct from old.received_at
        or (old.acknowledged_at is not null and new.acknowledged_at is distinct from old.acknowledged_at)
        or (old.relayed_at is not null and (new.relayed_at is distinct from old.relayed_at or new.state <> 'relayed')) then
        raise exception 'report hop times are immutable' using errcode = 'check_violation';
      end if;
      return new;
    end $$`.execute(db);
  await db.schema.alterTable('report_hops').dropColumn('relay_sign_comment').execute();
}
