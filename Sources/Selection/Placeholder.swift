enum SelectionPlaceholder {}
