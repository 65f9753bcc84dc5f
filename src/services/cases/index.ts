export { getCase, claimCase, releaseCase, DEFAULT_CLAIM_MINUTES, type CaseView } from './cases.js';
export { addNote, listNotes, setCaseStatus, MAX_NOTE_LENGTH, type NoteView } from './work.js';
export { accountTimeline, TIMELINE_SOURCES, type TimelineItem } from './timeline.js';
export { applyCaseEvents, type CaseEvent, type CaseChange } from './automatic.js';
