"""One `QAbstractTableModel` per list, fed by plain dicts/dataclasses, tested without widgets."""
