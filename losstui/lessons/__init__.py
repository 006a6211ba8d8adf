"""Lessons: guided walkthroughs an instructor writes in Markdown, and the runner that drives the app
state through them. UI-free: the app's lesson panel and `losstui lesson` use this package.

- `format`: reading and checking a lesson file (`parse_lesson`, `check_lesson`, `read_lesson`);
- `values`: the live values its conditions test and its placeholders quote;
- `runner`: `LessonRun`, a lesson stepping an `AppState`;
- `progress`: the step each student reached, kept per user.
"""
