"""The Dashboard page's tabs, one module each, and what they share (:mod:`common`): the page
itself only reads the filters, calls the service and hands the result to each tab."""
