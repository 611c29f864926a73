/** A problem with what a table or plot was asked to show (unknown model, no event-time estimates, ...). */
export class ResultsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ResultsError';
  }
}
