"""What supervision reads from the rows, by sub-domain: the card rules' findings
(``cards``), demonstration towns (``recognition``), the annual evaluation
(``evaluation``) and the bulletin's figures (``bulletins``)."""
