"""The page's look: Streamlit's English chrome hidden or put in Chinese, highlights and focus marked."""

from __future__ import annotations

import json

import streamlit as st

# Streamlit's file uploader writes "Drag and drop files here", "Limit 200MB per file" and "Browse
# files" with no option to change them; the documented way to restyle an element is CSS, so the
# English spans are hidden and the same places carry Chinese text instead.
CSS = """
<style>
#MainMenu, [data-testid="stToolbarActions"], [data-testid="stAppDeployButton"],
[data-testid="stMainMenu"], [data-testid="stStatusWidget"] {display: none !important;}
[data-testid="stFileUploaderDropzoneInstructions"] > div > span,
[data-testid="stFileUploaderDropzoneInstructions"] > div > small {display: none;}
[data-testid="stFileUploaderDropzoneInstructions"] > div::before {content: "将报告文件拖放到这里，或点“选择文件”";}
[data-testid="stFileUploaderDropzone"] button > * {display: none;}
[data-testid="stFileUploaderDropzone"] button::after {content: "选择文件";}
[data-testid="stFileUploaderPagination"] small {display: none;}
[data-testid="stFileChipName"] + div {display: none;}  /* a chosen file's size in English units (259.0B) */
[data-testid="InputInstructions"] {display: none;}  /* "Press Enter to apply" under a text box */
mark {background: #ffe066; padding: 0 1px;}
/* the best sentence: a soft highlighter band (a dotted red underline read as a spelling error) */
span.best {background: linear-gradient(transparent 55%, #ffe3c2 55%);}
div.passage {padding: 6px 10px; margin: 2px 0 10px 0; border-left: 3px solid transparent;}
div.passage.focus {background: #fff3bf; border-left-color: #e8590c;}
div.section {font-weight: 600; margin-top: 14px;}
a.outline {text-decoration: none;}
/* the reader's outline stays in view beside the text, however far down the opened passage is */
div[data-testid="stColumn"]:has(a.outline) {position: sticky; top: 3.5rem; align-self: flex-start;
  max-height: calc(100vh - 4.5rem); overflow-y: auto;}
div[data-testid="stColumn"]:has(a.outline) > div {padding-bottom: 1rem;}  /* room for the last entry's margin */
</style>
"""


def apply() -> None:
    st.html(CSS)


def scroll_to(element_id: str) -> None:
    """Scroll the page so that the element with this id is in view (it may render a moment later).

    A one-pixel frame runs the script and reaches the page through window.parent (same origin); call
    this near the top of the page: a frame far below the fold may not load until it is scrolled to.
    """
    script = ("<script>(function(){var d=window.parent.document,n=0;function go(){var e=d.getElementById(ID);"
              "if(e){e.scrollIntoView({block:'center'});}else if(n++<100){setTimeout(go,100);}}go();})();</script>")
    st.iframe(script.replace("ID", json.dumps(element_id)), height=1)
