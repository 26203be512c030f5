"""Quality control of the annotations themselves, as pure functions over plain data:
attention-check corruptions, catch rates, second-pass agreement, effort, verdicts and blind
system labels. The services store and fetch; nothing here touches the store or streamlit."""
