import type { Queryable } from '../store/database.ts'

/** Whether the process can do its work: its database, and the job queue in it, answer (GET /health, GET /ready). */
export class HealthService {
  constructor(private readonly db: Queryable) {}

  databaseAnswers(): Promise<boolean> {
    return this.answers('select 1')
  }

  queueAnswers(): Promise<boolean> {
    return this.answers('select 1 from graphile_worker.jobs limit 1')
  }

  private async answers(sql: string): Promise<boolean> {
    try {
      await this.db.query(sql)
      return true
    } catch {
      return false
    }
  }
}
