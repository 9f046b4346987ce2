// Placeholder: the long fuzz campaign is being written (issue 8).
console.log("fuzz campaign not written yet");
